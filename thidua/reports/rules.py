"""Who may open the statistics: anyone holding a role today (each sees their own scope's
figures only, :mod:`thidua.reports.scope`) and administrators; who may draft a movement's
summary report."""

import rules

from thidua.movements.rules import manages
from thidua.orgs.rules import is_administrator


@rules.predicate
def holds_a_role(user):
    return bool(user and user.is_authenticated and user.roles())


rules.add_perm("reports.view", is_administrator | holds_a_role)

# The movement's summary report is drafted by its council secretariat (the movement's office);
# administrators may too.
rules.add_perm("reports.summarise", manages)
