/* The small network the fuzz targets validate against. */
#ifndef MMS_FUZZ_SEED_H
#define MMS_FUZZ_SEED_H

#define FUZZ_BASE                                                                                   \
	"{\"units\": [{\"code\": \"R\", \"name\": \"R\", \"level\": \"regional\", \"kind\": \"institute\"}," \
	"{\"code\": \"M\", \"name\": \"M\", \"level\": \"municipal\", \"kind\": \"municipal_service\", \"parent\": \"R\"}," \
	"{\"code\": \"S\", \"name\": \"S\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"}," \
	"{\"code\": \"C\", \"name\": \"C\", \"level\": \"municipal\", \"kind\": \"community\", \"parent\": \"M\"}]," \
	"\"staff\": [{\"code\": \"T\", \"name\": \"T\", \"org\": \"S\", \"role\": \"teacher\", \"birth_date\": \"1990-01-01\"," \
	" \"work_start\": \"2015-09-01\", \"subjects\": [\"физика\"]}," \
	"{\"code\": \"X\", \"name\": \"X\", \"org\": \"M\", \"role\": \"methodist\"}]," \
	"\"activities\": [{\"code\": \"A\", \"name\": \"A\", \"kind\": \"course\", \"hours\": 36, \"start\": \"2023-02-01\"}]," \
	"\"participations\": [{\"activity\": \"A\", \"staff\": \"T\", \"role\": \"participant\", \"completed\": true}]," \
	"\"facts\": [{\"unit\": \"M\", \"key\": \"k\", \"year\": 2023, \"value\": 1}]}"

#endif
