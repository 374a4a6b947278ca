"""The lint profiles: which publishing route a package is checked for.

A profile changes the severity of some rules (`Rule.profile_severities`) and switches on the
rules written for it alone (`Rule.profiles`), such as the brand colour an independent publisher
must use. The rules declare both; this module names the default and reads a profile's name.
"""

from __future__ import annotations

from retarus_connector.lint.model import Profile

DEFAULT_PROFILE = Profile.CERTIFIED


def parse_profile(name: str) -> Profile:
    """The profile called `name`; ValueError naming the choices otherwise."""
    try:
        return Profile(name)
    except ValueError:
        choices = ", ".join(profile.value for profile in Profile)
        raise ValueError(f"unknown profile {name!r}; choose one of {choices}") from None
