"""From records to figures: statistics, regression, the indicator engine with its disclosure
control, and charts."""
