"""ILP (Integrasi Layanan Primer) platform."""
