"""The client journey: steps 1-5 and the overview."""
