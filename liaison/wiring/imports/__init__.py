"""Imports of the rosters a county already keeps (regions, stations, handling units,
representatives, staff) from Excel or CSV: a template per roster, a dry-run preview
that lists every bad row by row and column, then an all-or-nothing apply that updates
by natural keys, and exports in the same template. In the wiring because one roster
(staff, representatives' seats) writes rows of several apps."""
