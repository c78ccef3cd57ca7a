// processes page: to be written.
