// The API docs page: Swagger UI over our own schema (a file, so the page needs no inline script).
"use strict";
if (window.SwaggerUIBundle) {
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
}
