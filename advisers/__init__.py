"""The adviser (rådgivare) portal."""
