"""Example service used by ``credmigrate demo`` (all credentials here are fake)."""
