"""Collecting records case by case: the questions a study's form asks at each occasion, the
answers checked against them, and the identity number typed once per registration (issue 19).
Pure: the Django side (nuso.collection) stores drafts and registrations."""
