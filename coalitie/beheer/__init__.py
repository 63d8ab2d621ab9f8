"""Beheer of a coalition inside the app: users, organisations, the routekaart."""
