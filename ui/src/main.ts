/** The phone's page: one custom element, <lw-app>, in index.html. */
import './elements/lw-app.js';
