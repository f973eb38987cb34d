"""Two-factor login for staff: a TOTP application plus single-use recovery codes (django-otp).

Who must use it is directory.rules.requires_second_factor's decision; whoever
has enrolled a device must use it at every login, required or not. The admin
login form asks for the code (EntraideAdminSite.login_form); a staff user who
must enrol and has not is sent to the enrolment page, the only admin page they
can reach until then.
"""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from directory import rules

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"


def has_second_factor(user):
    return user_has_device(user, confirmed=True)


def must_verify(user):
    """Staff who may reach the admin only once their session passed the second factor."""
    return rules.is_staff(user) and (has_second_factor(user) or rules.requires_second_factor(user))


def verified_device(user, token):
    """The user's device that accepts `token` (consuming a recovery code), or None.

    Each device throttles its own failures (django-otp), and the transaction
    locks them so that one code cannot be used twice at once.
    """
    token = "".join(token.split()).lower()
    if not token:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if device.verify_token(token):
                return device
    return None


class TwoFactorAuthenticationForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label=_("Code de vérification"),
        required=False,
        max_length=20,
        help_text=_("Les 6 chiffres de votre application d'authentification, ou l'un de vos codes de secours."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is None or not has_second_factor(user):
            return cleaned_data
        device = verified_device(user, self.cleaned_data.get("otp_token") or "")
        if device is None:
            # Counted by django-axes like a wrong password: guessing codes ends in the same lockout.
            user_login_failed.send(
                sender=__name__, credentials={"username": user.get_username()}, request=self.request
            )
            raise forms.ValidationError(
                _("Code de vérification manquant ou incorrect. Attendez le code suivant et réessayez."),
                code="invalid_token",
            )
        # Persisted in the session on login (django_otp's user_logged_in handler).
        user.otp_device = device
        return cleaned_data


class ConfirmDeviceForm(forms.Form):
    token = forms.CharField(
        label=_("Code affiché par l'application"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def new_recovery_codes(user):
    """Replace the user's recovery codes; returned in clear this once only."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def qr_code_svg(url):
    # Drawn here, inline: the secret never leaves the server for a QR service.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=5, dark="#000", light="#fff", omitsize=False))


@never_cache
@csrf_protect
def enrolment_view(request, admin_site):
    """Scan the QR code, type a code to prove it works, then see the recovery codes once."""
    user = request.user
    login_url = reverse("admin:login", current_app=admin_site.name)
    if not rules.is_staff(user):
        return HttpResponseRedirect(f"{login_url}?next={request.path}")
    if request.method == "POST" and "logout" in request.POST:
        logout(request)
        return HttpResponseRedirect(login_url)
    context = {
        **admin_site.each_context(request),
        "title": _("Double authentification"),
        "available_apps": [],
        "is_nav_sidebar_enabled": False,
        "required": rules.requires_second_factor(user),
        "admin_url": reverse("admin:index", current_app=admin_site.name),
    }
    template = "admin/otp_enrolment.html"
    if has_second_factor(user):
        context["verified"] = user.is_verified()
        context["codes_left"] = StaticToken.objects.filter(device__user=user).count()
        if request.method == "POST" and "new_codes" in request.POST and user.is_verified():
            context["codes"] = new_recovery_codes(user)
        return TemplateResponse(request, template, context)

    # One pending device per user: reloading the page keeps the QR code already scanned.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    form = ConfirmDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token("".join(form.cleaned_data["token"].split())):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            context.update(verified=True, codes=new_recovery_codes(user), enrolled=True)
            return TemplateResponse(request, template, context)
        form.add_error("token", _("Code incorrect : vérifiez l'heure de votre téléphone et tapez le code suivant."))
    context.update(
        form=form,
        qr_code=qr_code_svg(device.config_url),
        secret=" ".join(_chunks(b32encode(device.bin_key).decode(), 4)),
        issuer=settings.OTP_TOTP_ISSUER,
    )
    return TemplateResponse(request, template, context)


def _chunks(text, size):
    return [text[i : i + size] for i in range(0, len(text), size)]
