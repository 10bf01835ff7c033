"""The core's own components (eligibility rules, matchers, cadence rules, the consent policy),
registered through the same hooks as any plugin's and always loaded."""
