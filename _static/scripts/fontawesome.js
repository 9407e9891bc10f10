/*
 * lossbook: this empty script replaces the theme's scripts/fontawesome.js.
 *
 * pydata-sphinx-theme draws its icons (menu, search, colour mode, launch and
 * download buttons) with Font Awesome's JavaScript, a 1.5 MB file that every
 * page would load. The site styles the same <i class="fa-..."> elements with
 * Font Awesome's CSS and web fonts instead (installed from npm, served from
 * _static/vendor/fontawesome-free/; see _config.yml and the Makefile), and
 * Sphinx copies this file over the theme's file of the same name. Hiding the
 * icon glyphs from screen readers, which the theme's script used to do, is in
 * _static/lossbook.js.
 */
