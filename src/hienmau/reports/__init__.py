"""Results, dashboards and report documents computed from closed drives."""
