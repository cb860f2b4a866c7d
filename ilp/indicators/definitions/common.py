"""Citations and sasaran group names shared by the definitions."""

JUKNIS = "KMK HK.01.07/MENKES/2015/2023 (Juknis ILP), mlengse/ilp-docs docs/ILP/"
DASHBOARD = JUKNIS + "08-pencatatan/02-pelaporan.mdx (Klaster 2/3/4 dashboard contents; ILP.md §3.2)"
SPM = "Permenkes 4/2019 SPM kesehatan (ILP.md §3.6; full text not read ❓)"
UNCONFIRMED_TARGET = "target is a named default (❓ no national ILP target list, ILP.md §3.7); set it per area"
