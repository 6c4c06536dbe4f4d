"""Step 4 of the client journey: CVs, cover letters, interview and pitch practice.

A nested app (label `journey_cv`) so its migrations stay apart from the journey app's. It reads
the earlier steps only through `journey.selectors` and writes to them only through
`journey.services`.
"""
