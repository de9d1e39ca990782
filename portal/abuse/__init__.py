"""Abuse controls: captcha, failed-attempt counters, upload checks, held attachments, HTML
cleaning and the plain-text filters every form applies."""
