"""The lint profiles: which publishing route a package is checked for.

A profile changes the severity of some rules (`Rule.profile_severities`) and switches on the
rules written for it alone (`Rule.profiles`), such as the brand colour an independent publisher
must use. The rules declare both; this module only names and describes the profiles.
"""

from __future__ import annotations

from retarus_connector.lint.model import Profile

DEFAULT_PROFILE = Profile.CERTIFIED

DESCRIPTIONS: dict[Profile, str] = {
    Profile.CERTIFIED: (
        "a connector certified by its verified publisher: every certification rule applies"
    ),
    Profile.INDEPENDENT_PUBLISHER: (
        "a connector submitted by an independent publisher: the certification rules plus the "
        "independent-publisher ones (brand colour #da3b01, no icon in the pull request)"
    ),
    Profile.CUSTOM: (
        "a custom connector used in one's own environments: what the portal and paconn reject "
        "stays an error, certification-only demands may be milder"
    ),
}


def parse_profile(name: str) -> Profile:
    """The profile called `name`; ValueError naming the choices otherwise."""
    try:
        return Profile(name)
    except ValueError:
        choices = ", ".join(profile.value for profile in Profile)
        raise ValueError(f"unknown profile {name!r}; choose one of {choices}") from None
