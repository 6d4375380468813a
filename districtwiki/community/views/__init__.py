"""Community views: profiles and the directory, private messages, state chapters, and one's own data."""
