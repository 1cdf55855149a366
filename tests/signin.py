"""Signing a test client in without the sign-in pages: the password step (``force_login``) and,
for a user who must use a second factor or has one, the code step (django-otp keeps the device
that verified the session under ``otp_device_id``)."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.orgs import mfa
from thidua.orgs.models import User


def verified_login(client, user):
    """``client.force_login(user)``, then the session marked as verified by the user's
    authenticator (one is made for a user who must have one and has none yet)."""
    client.force_login(user)
    fresh = User.objects.get(pk=user.pk)  # roles as they are now, not as a cached instance saw
    device = TOTPDevice.objects.filter(user=fresh, confirmed=True).first()
    if device is None and mfa.required(fresh):
        device = TOTPDevice.objects.create(user=fresh, name="test", confirmed=True)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
