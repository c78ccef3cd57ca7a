// intake page: to be written.
