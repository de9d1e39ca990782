"""The web application: blueprints, forms, use cases, abuse controls and commands."""
