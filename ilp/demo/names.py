"""Minangkabau personal names for the synthetic demo (common given names in Agam; not real people)."""

FEMALE = (
    "Yusnimar",
    "Rosmawati",
    "Nurhayati",
    "Asmaniar",
    "Yulia Fitri",
    "Desmawati",
    "Elfi Sahara",
    "Rini Marlina",
    "Yenti Susanti",
    "Novi Yanti",
    "Fitri Handayani",
    "Sri Wahyuni",
    "Mardiana",
    "Rahmadani",
    "Erniwati",
    "Zuraida",
    "Nelti Rahmi",
    "Yusniar",
    "Ratna Dewi",
    "Lisa Oktavia",
    "Meri Andriani",
    "Wirda Yanti",
    "Syafni",
    "Rosnida",
    "Nurlela",
    "Afrida",
    "Hasnah",
    "Jusnimar",
    "Darmayanti",
    "Ernita",
    "Silvia Rahmi",
    "Yessi Marta",
    "Wulan Sari",
    "Masnidar",
    "Yusnidar",
    "Rosna",
    "Elvi Sukaesih",
    "Nofa Yanti",
    "Dewi Safitri",
    "Febri Yenti",
    "Irma Suryani",
    "Yuliarni",
    "Susi Afriani",
    "Lili Suryani",
    "Ermawati",
)
MALE = (
    "Syafrizal",
    "Afrizal",
    "Zulhendri",
    "Nofriadi",
    "Hendra Saputra",
    "Yusrizal",
    "Ade Putra",
    "Rizki Fauzan",
    "Masrul",
    "Darmawan",
    "Febrian",
    "Irwandi",
    "Jufri",
    "Andri Yulianto",
    "Khairul Anwar",
    "Zulkifli",
    "Mulyadi",
    "Edi Kurniawan",
    "Riko Pratama",
    "Yondri",
    "Hasbullah",
    "Defri Hidayat",
)
POSYANDU = (
    "Mawar",
    "Melati",
    "Anggrek",
    "Kenanga",
    "Dahlia",
    "Cempaka",
    "Flamboyan",
    "Teratai",
    "Seroja",
    "Bougenvil",
    "Tulip",
    "Kamboja",
    "Asoka",
    "Sakura",
    "Lavender",
    "Kemuning",
    "Nusa Indah",
    "Matahari",
    "Delima",
    "Srikandi",
)

# --- The synthetic population (ilp.demo.population) -------------------------------------------------
# Given names by birth cohort: each entry is (born before this year, names). Older Minangkabau women often
# carry -mar/-nar/-wati names, younger ones short modern names, children Arabic-Islamic names.
FEMALE_GIVEN_BY_COHORT = (
    (
        1960,
        (
            "Yusnimar", "Asmaniar", "Rosmawati", "Nurhayati", "Jusnimar", "Syamsinar", "Rosna", "Hasnah",
            "Nurani", "Rabiah", "Salmah", "Nurlela", "Fatimah", "Zubaidah", "Masnidar", "Yusniar", "Zuraida",
            "Rosnida", "Syamsiah", "Nurmalis", "Rohani", "Maryam", "Upik", "Siti Aminah", "Khadijah", "Nursiah",
        ),
    ),
    (
        1985,
        (
            "Yusnimar", "Nurhayati", "Desmawati", "Erniwati", "Mardiana", "Yuliarni", "Ermawati", "Darmayanti",
            "Ernita", "Afrida", "Syafni", "Elfi", "Yenti", "Wirda", "Masniar", "Yusnidar", "Rosmaini",
            "Nelti", "Lismawati", "Elvi", "Rita", "Yurnalis", "Zurniati", "Nurbaiti", "Desnawati", "Yeni",
        ),
    ),
    (
        2005,
        (
            "Desi", "Rini", "Fitri", "Yulia", "Elfi", "Novi", "Silvia", "Rahmi", "Wulan", "Dewi", "Febri",
            "Irma", "Susi", "Lili", "Meri", "Yessi", "Nofa", "Rahmadani", "Sri", "Ratna", "Lisa", "Putri",
            "Nurul", "Vivi", "Rika", "Mega", "Tika", "Ayu", "Suci", "Nadia",
        ),
    ),
    (
        9999,
        (
            "Aisyah", "Zahra", "Nabila", "Salsabila", "Khanza", "Alya", "Syifa", "Naura", "Azzahra", "Kayla",
            "Shafa", "Hafizah", "Nayla", "Annisa", "Rahma", "Keysha", "Azkia", "Humaira", "Adiba", "Aqila",
            "Fathiyah", "Zaskia", "Qirani", "Arsyila",
        ),
    ),
)  # fmt: skip
MALE_GIVEN_BY_COHORT = (
    (
        1960,
        (
            "Syafril", "Zulkifli", "Masrul", "Jufri", "Hasbullah", "Darwis", "Bakhtiar", "Nasrun", "Amir",
            "Syamsuddin", "Kamaruddin", "Muchtar", "Rasyid", "Yunus", "Marzuki", "Abdul Hamid", "Ismail",
            "Burhanuddin", "Idris", "Sulaiman", "Nurdin", "Jamaris",
        ),
    ),
    (
        1985,
        (
            "Syafril", "Zulkifli", "Afrizal", "Syafrizal", "Yusrizal", "Zulhendri", "Nofriadi", "Masrul", "Darmawan",
            "Irwandi", "Mulyadi", "Yondri", "Hendri", "Rahmat", "Asril", "Elfian", "Jasman", "Syahrial",
            "Erizal", "Mardianto", "Zainal", "Anwar", "Efendi", "Yulizar",
        ),
    ),
    (
        2005,
        (
            "Rahmat", "Hendri", "Afrizal", "Ade", "Rizki", "Febrian", "Andri", "Khairul", "Edi", "Riko",
            "Defri", "Fadli", "Ilham", "Rido", "Yoga", "Fajri", "Rio", "Randi", "Doni", "Arif", "Fauzan",
            "Aldi", "Hafiz", "Reza",
        ),
    ),
    (
        9999,
        (
            "Muhammad Fathan", "Muhammad Alif", "Rafa", "Farhan", "Zidan", "Arkan", "Al Fatih", "Raffi",
            "Azzam", "Daffa", "Rayyan", "Fikri", "Hafidz", "Athar", "Kenzo", "Abizar", "Zaki", "Ahmad Faiz",
            "Habibi", "Ikhsan", "Umar", "Yusuf",
        ),
    ),
)  # fmt: skip
# A second word some people carry ("Yulia Fitri", "Hendra Saputra").
FEMALE_SECOND = (
    "Fitri", "Yanti", "Sari", "Rahmi", "Wati", "Susanti", "Marlina", "Handayani", "Oktavia", "Yenti", "Nengsih",
    "Rahmadani", "Putri", "Wahyuni", "Syafitri", "Anggraini", "Mulyani", "Maisarah", "Dewi", "Novita",
)  # fmt: skip
MALE_SECOND = (
    "Putra", "Saputra", "Hidayat", "Pratama", "Fauzan", "Syahputra", "Kurniawan", "Efendi", "Amri", "Rahman",
    "Hamdani", "Ramadhan", "Firdaus", "Akbar", "Maulana", "Yusuf", "Aulia", "Anwar",
)  # fmt: skip
# Adat titles (gelar) carried after a married man's name: Datuak for a penghulu (head of a kaum),
# Sutan and Bagindo as gelar given at marriage, Malin for a religious functionary. (abbrev, title, weight)
MALE_TITLES = (
    ("Dt.", ("Rajo Mudo", "Bandaro", "Rangkayo Basa", "Majo Indo", "Panghulu Basa", "Tumangguang", "Sinaro"), 1),
    ("Sutan", ("Mangkuto", "Marajo", "Pamenan", "Sati", "Batuah", "Rajo Lelo", "Sinaro", "Kayo"), 6),
    ("Bagindo", ("Rajo", "Sutan", "Malano"), 1),
    ("Malin", ("Putiah", "Bungsu", "Sampono", "Kayo", "Mudo"), 2),
)
# Jorong (the sub-unit of a nagari) used in address text. Bayua's ten jorong are as listed by the nagari's
# own blog (nagaribayua.blogspot.com, 2017); for the other nagari the names are illustrative Minangkabau
# place names, not the official list, since the demo creates no jorong regions.
JORONG = {
    "Bayua": (
        "Kampuang Jambu", "Sungai Rangeh", "Panji", "Jalan Batuang", "Sawah Rang Salayan", "Pincuran Tujuah",
        "Lubuak Kandang", "Banda Tangah", "Lubuak Anyia", "Kapalo Koto",
    ),
}  # fmt: skip
JORONG_ILLUSTRATIVE = (
    "Kampuang Tangah", "Koto Baru", "Pasa", "Ujuang Labuang", "Muaro", "Bancah", "Kubu", "Galapuang",
    "Kampuang Baru", "Koto Tuo", "Sungai Jariang", "Batu Nanggai", "Pandan", "Tanjuang", "Lubuak",
)  # fmt: skip
# Main roads around the lake; a share of addresses are along them.
ROADS = ("Jl. Raya Maninjau-Lubuk Basung", "Jl. Raya Maninjau-Bukittinggi", "Jl. Lingkar Danau Maninjau")
# Where people moved in from (pindah datang) with the kecamatan of their first NIK, and where the young
# leave to (merantau).
MOVED_IN_FROM = (
    ("Kota Padang", ("13.71.01", "13.71.02", "13.71.03", "13.71.04", "13.71.09", "13.71.11")),
    ("Kota Bukittinggi", ("13.75.01", "13.75.02", "13.75.03")),
)
MERANTAU_TO = ("Pekanbaru", "Jakarta", "Batam", "Kota Padang", "Medan", "Bandung", "Jambi", "Kuala Lumpur")
# Spelling variants a second registration of the same person shows (old/new spelling, typing habits).
SPELLING_VARIANTS = (
    ("Sy", "S"), ("sy", "s"), ("f", "p"), ("i", "y"), ("y", "i"), ("u", "oe"), ("dj", "j"), ("j", "dj"),
    ("h", ""), ("mm", "m"), ("Nur", "Nur "), ("ah", "a"), ("ai", "ay"), ("e", "a"),
)  # fmt: skip
