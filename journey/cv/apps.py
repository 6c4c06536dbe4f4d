"""App configuration of step 4 (CV, brev och intervju)."""

from django.apps import AppConfig


class JourneyCvConfig(AppConfig):
    name = "journey.cv"
    label = "journey_cv"
    verbose_name = "Step 4 of the journey: CVs, letters, interview and pitch practice"
