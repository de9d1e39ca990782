"""Web plumbing: security headers, error pages, templating helpers, the page language, address
guards, safe redirects, server-drawn charts and the per-process cache."""
