"""Writes of the client journey, one module per step (HackSoft styleguide: `<thing>_<action>`).

- client: the ClientProfile (create, journey stage, employment dates)
- questionnaire / answer_values: step 1 questionnaire versions, responses and answers
- current_state: step 1's CurrentState, computed from the answers
- competence: step 2 (experiences, education, skills and suggestions, languages, licences,
  CV upload) and the CompetenceProfile rebuild
- changes: the "what changed" log
- downstream: the registry of later steps' refreshers, run by journey.tasks
"""
