"""The domain's optional compiled build: whether it may run (`freshness`). Nothing here
imports the domain, so `rates/__init__.py` can decide before anything does."""
