"""The public face of the register: home, member list, profiles, status on a date, search, public notices."""
