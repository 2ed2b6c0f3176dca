"""Adding a colleague in one step: name, email and role. Staff status follows from the role,
and they get an email with a link to choose their own password (Django's password-reset
tokens), so nobody types a password for somebody else.

``PeopleAdmin`` replaces Django's two-step user form in the admin (registered in
netinfo/admin.py); the set-your-password pages are Django's own, at /admin/password/….
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from netinfo.editorial import workflow

#: The roles a colleague can have, and what each may do, in the words the form shows.
ROLES = {
    workflow.EDITOR: "Writes and changes pages. Their changes to published pages wait for an "
    "approver.",
    workflow.APPROVER: "Everything an editor does, and publishes pages and changes, takes pages "
    "off the site and records reviews.",
    workflow.CLINICAL_REVIEWER: "A clinician who checks the facts and records a clinical "
    "review. They can also approve and publish.",
}


def role_of(user):
    names = {group.name for group in user.groups.all()}
    return ", ".join(role for role in ROLES if role in names) or "No role"


class InviteForm(forms.ModelForm):
    """The whole add form: who they are and what they may do."""

    role = forms.ChoiceField(
        choices=[(name, f"{name}: {what}") for name, what in ROLES.items()],
        widget=forms.RadioSelect,
        help_text="You can change it later on their page.",
    )

    class Meta:
        model = User
        fields = ("first_name", "last_name", "email")
        help_texts = {"email": "We send the invitation here. It is also how they sign in."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "email"):
            self.fields[name].required = True

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(username__iexact=email).exists() or (
            User.objects.filter(email__iexact=email).exists()
        ):
            raise forms.ValidationError("Someone with this email address already has an account.")
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.username = self.cleaned_data["email"]
        user.is_staff = True
        user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user

    def _save_m2m(self):  # ModelForm.save(commit=False) hands this out as save_m2m
        super()._save_m2m()
        group, _ = Group.objects.get_or_create(name=self.cleaned_data["role"])
        self.instance.groups.set([group])


def invitation_link(request, user):
    """A one-time link to choose a password (valid for PASSWORD_RESET_TIMEOUT, 3 days)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(reverse("password_reset_confirm", args=[uid, token]))


def send_invitation(request, user, invited_by):
    """Email the invitation. Returns the link, so the admin can pass it on by hand if the
    mail server is down."""
    link = invitation_link(request, user)
    context = {"user": user, "link": link, "invited_by": invited_by, "role": role_of(user)}
    send_mail(
        "You are invited to edit NET Patient Information",
        render_to_string("admin/netinfo/people/invitation.txt", context),
        None,
        [user.email],
    )
    return link


class PeopleAdmin(UserAdmin):
    add_form = InviteForm
    add_fieldsets = ((None, {"fields": ("first_name", "last_name", "email", "role")}),)
    list_display = ("username", "full_name", "role", "is_active", "last_login")
    list_filter = ("groups", "is_active", "is_superuser")
    actions = ["resend_invitation"]

    @admin.display(description="Name")
    def full_name(self, user):
        return user.get_full_name()

    @admin.display(description="Role")
    def role(self, user):
        return role_of(user)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:  # after the role is set, so the email can name it
            self._invite(request, form.instance)

    def _invite(self, request, user):
        try:
            send_invitation(request, user, request.user)
        except OSError as error:  # the mail server is down or refused (SMTPException too)
            messages.warning(
                request,
                f"The invitation email to {user.email} could not be sent ({error}). Send them "
                f"this link to choose a password: {invitation_link(request, user)}",
            )
        else:
            messages.info(request, f"We emailed {user.email} a link to choose a password.")

    @admin.action(description="Send the invitation email again")
    def resend_invitation(self, request, queryset):
        for user in queryset.filter(is_active=True).exclude(email=""):
            self._invite(request, user)
