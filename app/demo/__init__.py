"""Demo data for `claimdesk demo`: short articles written for the demo (fictional places)."""
