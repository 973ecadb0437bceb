"""Opening untrusted files safely: limits, zip and XML bombs, what a parsing library may raise."""
