"""The JobTech taxonomy: occupations, SSYK, skills, places, languages."""
