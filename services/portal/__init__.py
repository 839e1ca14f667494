"""The portal: HTML pages for employers, intermediaries and education providers (issue 14), a
backend for the frontend that calls the JSON API with the user's own token."""
