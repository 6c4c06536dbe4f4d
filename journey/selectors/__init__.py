"""Reads of the client journey, one module per step. Every function takes the client (never a
client id from the request), so a view can only ever read the signed-in client's own data.

- client: the ClientProfile
- questionnaire: step 1 pages (sections with their questions and answers)
- current_state: step 1's CurrentState, its plain-language summary and step status
- competence: step 2's pages, its status, and CompetenceProfile for steps 3-5
- changes: the unseen "what changed" entries
- overview: Min resa (the five steps, what changed, the next action)
"""


def language_code(language: str | None) -> str:
    """'en' for any English variant, else 'sv' (the default language of Vägval)."""
    return "en" if (language or "").lower().startswith("en") else "sv"
