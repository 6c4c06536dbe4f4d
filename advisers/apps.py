"""App configuration for advisers: registers the adviser access rule and the menu items."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisersConfig(AppConfig):
    name = "advisers"
    label = "advisers"
    verbose_name = "The adviser (rådgivare) portal"

    def ready(self) -> None:
        from vagval.consent.access import access_rule_register
        from vagval.consent.models import ConsentPurpose
        from vagval.web.navigation import nav_register

        from .selectors import adviser_has_client

        access_rule_register(
            role="adviser",
            relationship=lambda viewer, client: adviser_has_client(adviser=viewer, client=client),
            consent=ConsentPurpose.ADVISER_ACCESS,
        )
        nav_register(
            role="adviser",
            key="portal",
            label=_("Mina klienter"),
            url_name="advisers:caseload",
            order=10,
        )
        nav_register(
            role="adviser", key="slots", label=_("Mötestider"), url_name="advisers:slots", order=20
        )
        nav_register(
            role="adviser",
            key="seminars",
            label=_("Seminarier"),
            url_name="advisers:seminars",
            order=30,
        )
        nav_register(
            role="adviser",
            key="figures",
            label=_("Mina siffror"),
            url_name="advisers:figures",
            order=40,
        )
        nav_register(
            role="adviser",
            key="profile",
            label=_("Min profil"),
            url_name="advisers:profile",
            order=50,
        )
        nav_register(
            role="client",
            key="adviser",
            label=_("Min rådgivare"),
            url_name="advisers:client_home",
            order=20,
        )
