"""The public debate site, run on Wagtail.

Where things are:
- `models/`: snippets (authors, topics), page types with their tree rules, reader submissions,
  newsletter subscriptions, event registrations, barrier reports;
- `blocks.py`: StreamField blocks (rich text, quote, image with alt text, embed, fact box,
  chart, live figures from `vagval.jobs.selectors` via `livedata.py`);
- `selectors.py` / `services.py`: reads and writes (moderation, double opt-in, waiting list);
- `views.py` + `urls.py`: reader forms, feeds (`feeds.py`), sitemap, robots.txt, .ics;
- `wagtail_hooks.py`: the admin (moderation queue, reader queues, snippets);
- `cache.py`: the anonymous page cache and its invalidation on publish;
- `demo.py`: demo content for `load_demo`; `tasks.py`: scheduled publishing and purges.
"""
