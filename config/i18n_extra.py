"""Strings Django itself uses whose Chinese translation its own catalogue lacks (Django 5.2 changed the msgid
of the password-length error; its zh_Hans catalogue still has the old one). Naming them here keeps them in the
project catalogue, which takes precedence."""

from django.utils.translation import ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    8,
)
