"""One module per source; the module name is the spider name."""
