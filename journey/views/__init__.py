"""Views of the client journey, one module per step; thin: parse, call a service or selector,
render. Every view is wrapped in `client_required`, which passes the signed-in client's own
ClientProfile, so no view ever takes a client id from the request."""
