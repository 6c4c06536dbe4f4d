"""App configuration for employers: registers the HR access rule and the portal's menu."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "employers"
    label = "employers"
    verbose_name = "The member-company (HR) portal"

    def ready(self) -> None:
        from vagval.consent.access import access_rule_register
        from vagval.web.navigation import nav_register

        from .selectors import hr_may_see_client

        # HR sees a client as a person only after the client said yes to that company: a yes
        # to an open internal opening (with the internal-mobility consent in force), or an
        # accepted contact request (with employer visibility in force). Which consent applies
        # depends on the path, so the relationship checks the ledger itself.
        access_rule_register(role="hr", relationship=hr_may_see_client, consent=None)
        for key, label, url_name, order in (
            ("portal", _("Start"), "employers:home", 10),
            ("cases", _("Ärenden"), "employers:case_list", 20),
            ("stats", _("Statistik"), "employers:stats", 30),
            ("competence", _("Kompetenskarta"), "employers:competence_map", 40),
            ("openings", _("Tjänster"), "employers:opening_list", 50),
            ("candidates", _("Kandidater"), "employers:candidates", 60),
            ("seminars", _("Seminarier"), "employers:seminars", 70),
            ("company", _("Företaget"), "employers:company", 80),
        ):
            nav_register(role="hr", key=key, label=label, url_name=url_name, order=order)
        nav_register(
            role="client",
            key="employer",
            label=_("Från arbetsgivare"),
            url_name="employers:client_home",
            order=60,
        )
