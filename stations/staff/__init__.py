"""The staff pages of stations: the reception plan, the visit list, the printed notice."""
