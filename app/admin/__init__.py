"""Administration pages: users, units, categories, routing rules, and the log of every change made there."""
