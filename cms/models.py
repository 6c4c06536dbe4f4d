"""Models of cms."""
