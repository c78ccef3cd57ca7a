// case page: to be written.
