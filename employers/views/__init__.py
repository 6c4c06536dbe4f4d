"""Views of the member-company portal, thin: parse the request, call a selector or a service,
render. `hr` is the HR users' portal; `public` holds the pages invited people and clients use
(accepting an invitation, answering matches and contact requests)."""
