"""Views of the adviser portal: `adviser` (the adviser's pages under /radgivare/), `client`
(the client's pages about their adviser under /radgivare/min-radgivare/), `access` (who may
see what)."""
