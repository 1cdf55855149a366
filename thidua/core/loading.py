"""Loading data files (rule sets, movement plans) idempotently: a reload changes nothing."""


def sync_row(model, lookup: dict, fields: dict):
    """update_or_create that writes only when a value differs, so reloads touch nothing.
    Returns (object, whether anything was written)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **fields), True
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, fields[name])
        obj.save(update_fields=changed)
    return obj, bool(changed)
