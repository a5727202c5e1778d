"""The portal: municipal dashboards, the analysts' national view, downloads."""
