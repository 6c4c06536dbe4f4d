"""Feed ranking, occupation suggestions and their explanations."""
