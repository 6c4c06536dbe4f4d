"""Job-ad ingestion: sources, pipeline, deduplication, enrichment, expiry."""
