"""Life-cycle services: encounters, screenings, decision support, referrals and home visits (issue #4)."""
