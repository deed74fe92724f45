"""`career-chat serve`: the web page (static/) and the JSON API over one knowledge base."""
