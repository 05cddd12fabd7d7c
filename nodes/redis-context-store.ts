/** The old path of the Redis context store (settings.js files that require it keep working): see context-store/redis.ts. */
import redisContextStore = require('./context-store/redis');
export = redisContextStore;
